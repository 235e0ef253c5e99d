"""Case officers keep the curated brand list: add and edit brands, map what people typed to them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts.audit import audit
from apps.accounts.decorators import officer_required
from apps.accounts.models import AuditEvent
from apps.reports.brand_forms import BrandForm, BrandMapForm
from apps.reports.brands import brand_alias_add, brand_choices, brand_save, typed_brands_unmatched
from apps.reports.models import Brand


def _add_errors(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@officer_required
def brands_view(request):
    """The curated list with its aliases and reports, a form to add a brand, and the typed brands that map
    to none, most people first."""
    form = BrandForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            brand = brand_save(
                name_it=form.cleaned_data["name_it"],
                name_en=form.cleaned_data["name_en"],
                slug=form.cleaned_data["slug"],
                aliases=form.alias_lines(),
                officer=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("“%(brand)s” is on the list.") % {"brand": brand.name})
            return redirect("reports:brands")
    audit(actor=request.user, action=AuditEvent.Action.VIEWED, target="brand list")
    brands = Brand.objects.prefetch_related("aliases").annotate(report_count=Count("reports"))
    context = {
        "brands": brand_choices(brands),
        "form": form,
        "unmatched": typed_brands_unmatched(),
        "map_form": BrandMapForm(),
    }
    return render(request, "reports/officer_brands.html", context)


@officer_required
def brand_edit_view(request, slug):
    brand = get_object_or_404(Brand, slug=slug)
    aliases = [a.text for a in brand.aliases.all()]
    initial = {"name_it": brand.name_it, "name_en": brand.name_en, "aliases": "\n".join(aliases)}
    form = BrandForm(request.POST or None, brand=brand, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            brand_save(
                brand=brand,
                name_it=form.cleaned_data["name_it"],
                name_en=form.cleaned_data["name_en"],
                aliases=form.alias_lines(),
                officer=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Saved: the reports and the figures follow."))
            return redirect("reports:brands")
    return render(request, "reports/officer_brand_edit.html", {"brand": brand, "form": form})


@officer_required
@require_POST
def brand_map_view(request):
    form = BrandMapForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a brand from the list."))
        return redirect("reports:brands")
    try:
        changed = brand_alias_add(
            brand=form.cleaned_data["brand"], text=form.cleaned_data["text"], officer=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(m for problems in error.message_dict.values() for m in problems))
    else:
        message = ngettext(
            "Mapped to %(brand)s: %(n)d report now counts for it.",
            "Mapped to %(brand)s: %(n)d reports now count for it.",
            changed,
        )
        messages.success(request, message % {"brand": form.cleaned_data["brand"], "n": changed})
    return redirect("reports:brands")
