from django.urls import path

from powershift.core.views import accounts, home, places, staff

app_name = "core"

urlpatterns = [
    path("", home.home, name="home"),
    path("about/", home.about, name="about"),
    path("m/<slug:slug>/", home.module, name="module"),
    # Accounts
    path("account/sign-in/", accounts.SignInView.as_view(), name="sign-in"),
    path("account/sign-up/", accounts.sign_up, name="sign-up"),
    path("account/sign-out/", accounts.sign_out, name="sign-out"),
    path("account/", accounts.account, name="account"),
    path("account/details/", accounts.profile, name="profile"),
    path("account/my-data/", accounts.download_data, name="download-data"),
    path("account/delete/", accounts.delete_account, name="delete-account"),
    path("account/password-reset/", accounts.PasswordResetView.as_view(), name="password-reset"),
    path("account/password-reset/sent/", accounts.PasswordResetSentView.as_view(),
         name="password-reset-sent"),
    path("account/password-reset/<uidb64>/<token>/", accounts.PasswordResetConfirmView.as_view(),
         name="password-reset-confirm"),
    path("account/password-reset/done/", accounts.PasswordResetCompleteView.as_view(),
         name="password-reset-complete"),
    # Places
    path("places/", places.place_list, name="places"),
    path("places/propose/", places.propose, name="propose-place"),
    path("places/<str:code>/", places.place_detail, name="place"),
    path("places/<str:code>/map.geojson", places.place_map, name="place-map"),
    path("places/<str:code>/review/", places.review, name="review-place"),
    # Staff
    path("staff/", staff.dashboard, name="staff"),
    path("staff/audit/", staff.audit, name="audit"),
    path("staff/roles/", staff.roles, name="roles"),
    path("staff/roles/<int:pk>/revoke/", staff.revoke, name="revoke-role"),
    path("organisations/<slug:slug>/members/", staff.members, name="members"),
    path("staff/import-places/", staff.import_places, name="import-places"),
    path("staff/tasks/<int:pk>/", staff.task_progress, name="task"),
]
