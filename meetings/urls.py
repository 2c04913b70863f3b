from .views import decisions, meetings, members, minutes

app_name = "meetings"

urlpatterns = [
    *meetings.urlpatterns,
    *decisions.urlpatterns,
    *minutes.urlpatterns,
    *members.urlpatterns,
]
