from . import chairing, decisions, meetings, minutes

urlpatterns = [
    *meetings.urlpatterns,
    *chairing.urlpatterns,
    *decisions.urlpatterns,
    *minutes.urlpatterns,
]
