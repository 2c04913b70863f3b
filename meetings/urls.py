from .views import chairing, decisions, meetings, members, minutes

app_name = "meetings"

urlpatterns = [
    *meetings.urlpatterns,
    *chairing.urlpatterns,
    *decisions.urlpatterns,
    *minutes.urlpatterns,
    *members.urlpatterns,
]
