from django.urls import path

from . import views

app_name = "boards"

urlpatterns = [
    path("", views.board_list, name="list"),
    path("new/", views.board_create, name="create"),
    path("<int:pk>/", views.board_detail, name="detail"),
    path("<int:pk>/edit/", views.board_edit, name="edit"),
    path("<int:pk>/seats/new/", views.seat_add, name="seat_add"),
    path("seats/<int:pk>/edit/", views.seat_edit, name="seat_edit"),
    path("seats/<int:pk>/notify-deputy/", views.seat_notify_deputy, name="seat_notify"),
    path("seats/<int:pk>/deactivate/", views.seat_deactivate, name="seat_deactivate"),
    path("<int:pk>/quorum-rules/new/", views.quorum_rule_add, name="quorum_rule_add"),
    path(
        "quorum-rules/<int:pk>/edit/", views.quorum_rule_edit, name="quorum_rule_edit"
    ),
    path("<int:pk>/terms/new/", views.terms_add, name="terms_add"),
    path("<int:pk>/rules/<str:rule>/source/", views.rule_source, name="rule_source"),
    path("<int:pk>/chairs/new/", views.chair_term_add, name="chair_add"),
    path("partners/", views.partner_list, name="partners"),
    path("partners/new/", views.partner_add, name="partner_add"),
    path("partners/<int:pk>/edit/", views.partner_edit, name="partner_edit"),
    path("people/new/", views.person_add, name="person_add"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/new/", views.agreement_add, name="agreement_add"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/schedules/new/", views.schedule_add, name="schedule_add"),
    path("agreements/<int:pk>/officers/new/", views.officer_add, name="officer_add"),
    path(
        "officers/<int:pk>/deactivate/",
        views.officer_deactivate,
        name="officer_deactivate",
    ),
]
