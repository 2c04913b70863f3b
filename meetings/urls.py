from .views import decisions, meetings, minutes

app_name = "meetings"

urlpatterns = [*meetings.urlpatterns, *decisions.urlpatterns, *minutes.urlpatterns]
