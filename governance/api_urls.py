from django.urls import path

from . import api_views as v

urlpatterns = [
    path("people/<int:pk>/roles/", v.PersonRoles.as_view(), name="api-person-roles"),
    path(
        "people/<int:pk>/roles/revoke/",
        v.PersonRoleRevoke.as_view(),
        name="api-person-roles-revoke",
    ),
    path(
        "people/<int:pk>/global-role/",
        v.PersonGlobalRole.as_view(),
        name="api-person-global-role",
    ),
    path(
        "people/<int:pk>/deactivate/",
        v.PersonDeactivate.as_view(),
        name="api-person-deactivate",
    ),
    path(
        "people/<int:pk>/reactivate/",
        v.PersonReactivate.as_view(),
        name="api-person-reactivate",
    ),
    path("people/<int:pk>/merge/", v.PersonMerge.as_view(), name="api-person-merge"),
    path("invitations/", v.InvitationList.as_view(), name="api-invitations"),
    path(
        "invitations/<int:pk>/resend/",
        v.InvitationResend.as_view(),
        name="api-invitation-resend",
    ),
    path(
        "invitations/<int:pk>/revoke/",
        v.InvitationRevoke.as_view(),
        name="api-invitation-revoke",
    ),
]
