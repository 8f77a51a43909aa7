from django.urls import path

from powershift.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.mine, name="mine"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/", views.resolve_duplicate, name="resolve-duplicate"),
    path("organisations/<slug:slug>/new/", views.new, name="new"),
    path("services/<int:pk>/", views.service, name="service"),
    path("services/<int:pk>/edit/", views.edit, name="edit"),
    path("services/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("services/<int:pk>/report/", views.report, name="report"),
    path("services/<int:pk>/suggest/", views.suggest, name="suggest"),
    path("suggestions/<int:pk>/answer/", views.answer, name="answer"),
]
