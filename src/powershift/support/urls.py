from django.urls import path

from powershift.support import views

app_name = "support"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("people/new/", views.new_person, name="new-person"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/about/", views.edit_person, name="edit-person"),
    path("people/<int:pk>/team/", views.add_team, name="add-team"),
    path("people/<int:pk>/consent/", views.add_consent, name="add-consent"),
    path("people/<int:pk>/notes/new/", views.add_contact, name="add-contact"),
    path("people/<int:pk>/plan/", views.plan, name="plan"),
    path("people/<int:pk>/refer/", views.refer, name="refer"),
    path("people/<int:pk>/wellbeing/", views.wellbeing, name="wellbeing"),
    path("people/<int:pk>/outcomes/<int:instrument>/", views.outcome, name="outcome"),
    path("people/<int:pk>/journey/", views.journey, name="journey"),
    path("people/<int:pk>/export.json", views.export, {"fmt": "json"}, name="export-json"),
    path("people/<int:pk>/export.html", views.export, {"fmt": "html"}, name="export-html"),
    path("people/<int:pk>/who-looked/", views.access, name="access"),
    path("people/<int:pk>/erase/", views.erase, name="erase"),
    path("people/<int:pk>/discharge/", views.discharge, name="discharge"),
    path("consents/<int:pk>/withdraw/", views.withdraw_consent, name="withdraw-consent"),
    path("goals/<int:pk>/rate/", views.rate_goal, name="rate-goal"),
    path("referrals/<int:pk>/", views.referral, name="referral"),
    path("check/", views.break_glass, name="break-glass"),
    path("checks/", views.reviews, name="reviews"),
    path("unit-costs/", views.unit_costs, name="unit-costs"),
    path("scales/", views.instruments, name="instruments"),
]
