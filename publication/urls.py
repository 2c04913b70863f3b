"""Public pages under /public/: no sign-in, ids in every URL (stable when titles
change)."""

from django.urls import path

from .views import feeds, pages, subscriptions

app_name = "public"

urlpatterns = [
    path("", pages.index, name="index"),
    path("search/", pages.search, name="search"),
    path("feed.atom", feeds.feed, name="feed"),
    path("boards/<int:pk>/", pages.board, name="board"),
    path("boards/<int:pk>/decisions/", pages.board_decisions, name="board_decisions"),
    path(
        "boards/<int:pk>/decisions.csv",
        feeds.board_decisions_csv,
        name="board_decisions_csv",
    ),
    path("boards/<int:pk>/feed.atom", feeds.board_feed, name="board_feed"),
    path("boards/<int:pk>/meetings.ics", feeds.board_ics, name="board_ics"),
    path("boards/<int:pk>/follow/", subscriptions.follow, name="follow"),
    path("meetings/<int:pk>/", pages.meeting, name="meeting"),
    path("meetings/<int:pk>/minutes/", pages.minutes, name="minutes"),
    path("items/<int:pk>/", pages.item, name="item"),
    path("decisions/<int:pk>/", pages.decision, name="decision"),
    path("papers/<int:pk>/", pages.paper, name="paper"),
    path(
        "subscriptions/<str:token>/confirm/",
        subscriptions.confirm,
        name="subscription_confirm",
    ),
    path("subscriptions/<str:token>/end/", subscriptions.end, name="subscription_end"),
]
