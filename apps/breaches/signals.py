import django.dispatch

# Sent with person_ids after exposures are created (matched, declared or by invitation), for apps whose
# figures depend on whether a person is linked to a breach (reports weigh such people's reports fully).
exposures_created = django.dispatch.Signal()
