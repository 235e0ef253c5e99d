"""What other apps' signals make the notices app do."""

from django.dispatch import receiver

from apps.insights.signals import surge_detected
from apps.notices.alerts import surge_alert_send


@receiver(surge_detected)
def alert_representatives_of_surge(sender, breach, onset, **kwargs):
    surge_alert_send(breach=breach, onset=onset)
