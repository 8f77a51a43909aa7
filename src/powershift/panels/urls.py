from django.urls import path

from powershift.panels import views

app_name = "panels"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<slug:slug>/", views.panel_detail, name="panel"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/<str:what>/", views.manage_post, name="manage-post"),
    path("<slug:slug>/reply/<str:token>/", views.reply, name="reply"),
    path("<slug:slug>/recommendations/<int:number>/respond/", views.respond, name="respond"),
]
