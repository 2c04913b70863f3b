from . import decisions, meetings, minutes

urlpatterns = [*meetings.urlpatterns, *decisions.urlpatterns, *minutes.urlpatterns]
