"""Signals the insights app sends."""

import django.dispatch

# A new surge onset was found for a breach (apps.insights.linkage.store): sent once per breach and onset, after
# the evidence is committed. Arguments: breach (Breach), onset (the evidence's onset dict: date, low, high,
# lags…), evidence (BreachEvidence). The notices work sends the alerts from it.
surge_detected = django.dispatch.Signal()
