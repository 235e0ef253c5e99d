"""Officers' pages: the breach registry, registering and editing breaches, importing leaked datasets."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from apps.accounts.audit import audit
from apps.accounts.decorators import officer_required
from apps.accounts.models import AuditEvent
from apps.breaches.forms import BreachForm, DatasetUploadForm
from apps.breaches.importing.errors import ImportRejected
from apps.breaches.models import Breach, DatasetImport, SkipReason
from apps.breaches.selectors import identifier_counts_by_kind
from apps.breaches.services import breach_register, dataset_import_submit, organisation_get_or_create


@officer_required
def breach_registry(request):
    breaches = Breach.objects.select_related("organisation").order_by("-occurred_on")
    imports = DatasetImport.objects.select_related("breach").order_by("-created_at")[:20]
    return render(request, "breaches/officer_registry.html", {"breaches": breaches, "imports": imports})


@officer_required
@require_http_methods(["GET", "POST"])
def breach_edit(request, slug=None):
    breach = get_object_or_404(Breach, slug=slug) if slug else None
    form = BreachForm(request.POST or None, instance=breach)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                organisation, _created = organisation_get_or_create(name_or_slug=data["organisation_name"])
                breach, _created = breach_register(
                    slug=breach.slug if breach else data["slug"],
                    title_it=data["title_it"],
                    title_en=data["title_en"],
                    organisation=organisation,
                    occurred_on=data["occurred_on"],
                    discovered_on=data["discovered_on"],
                    disclosed_on=data["disclosed_on"],
                    data_categories=data["data_categories"],
                    approx_people=data["approx_people"],
                    sources=data["sources"],
                    description_it=data["description_it"],
                    description_en=data["description_en"],
                    is_verified=data["is_verified"],
                    is_sensitive=data["is_sensitive"],
                    update=breach is not None,
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            audit(actor=request.user, action=AuditEvent.Action.BREACH_SAVED, target=f"breach {breach.slug}")
            return redirect("breaches:registry")
    return render(request, "breaches/officer_breach_form.html", {"form": form, "breach": breach})


@officer_required
@require_http_methods(["GET", "POST"])
def import_upload(request, slug):
    breach = get_object_or_404(Breach, slug=slug)
    form = DatasetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                dataset_import = dataset_import_submit(
                    breach=breach, upload=form.cleaned_data["file"], requested_by=request.user, **form.import_options()
                )
        except ImportRejected as exc:
            form.add_error("file", str(exc))
        else:
            audit(
                actor=request.user,
                action=AuditEvent.Action.DATASET_IMPORTED,
                target=f"breach {breach.slug}",
                dataset_import=dataset_import.pk,
            )
            return redirect("breaches:import_progress", pk=dataset_import.pk)
    return render(
        request,
        "breaches/officer_import.html",
        {
            "form": form,
            "breach": breach,
            "counts": identifier_counts_by_kind(breach=breach),
        },
    )


@officer_required
def import_progress(request, pk):
    dataset_import = get_object_or_404(DatasetImport.objects.select_related("breach"), pk=pk)
    template = "breaches/officer_import_progress.html"
    if request.headers.get("X-Partial") == "progress":  # polled by the page while the worker imports
        template += "#progress"
    problems = [
        {
            "line": p["line"],
            "reason": SkipReason(p["reason"]).label if p["reason"] in SkipReason.values else p["reason"],
        }
        for p in (dataset_import.skipped_rows or [])[:200]
    ]
    return TemplateResponse(request, template, {"job": dataset_import, "problems": problems})
