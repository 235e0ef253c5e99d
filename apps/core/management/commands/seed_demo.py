from django.conf import settings
from django.utils.translation import gettext as _

from apps.core.commands import TranslatedCommand
from apps.core.demo import SCENARIO_NAME, seed_demo


class Command(TranslatedCommand):
    help = "Seed the synthetic demo scenario (modelled on the INPS Servizi case). Does nothing if already seeded."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=settings.DEMO_SEED, help="random seed (deterministic)")
        parser.add_argument(
            "--reset", action="store_true", help="seed again even if seeded (steps update, never duplicate)"
        )

    def handle(self, *args, seed, reset, **options):
        scenario = seed_demo(seed=seed, reset=reset, progress=self._progress)
        if scenario is None:
            self.stdout.write(
                _("The demo scenario “%(name)s” is already seeded; nothing to do.") % {"name": SCENARIO_NAME}
            )
            return
        if options["verbosity"] > 1:  # what each step made, for whoever debugs a step
            for step, made in scenario.summary.items():
                self.stdout.write(f"  {step}: {made}")
        done = _("Seeded the synthetic demo scenario “%(name)s” (seed %(seed)s).") % {
            "name": SCENARIO_NAME,
            "seed": seed,
        }
        self.stdout.write(self.style.SUCCESS(done))

    def _progress(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()  # each step's line as it ends, not all at once when seeding finishes
