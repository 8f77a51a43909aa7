from django.urls import path

from powershift.ideas import views

app_name = "ideas"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<slug:slug>/", views.conversation, name="conversation"),
    path("<slug:slug>/join/", views.join, name="join"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/statements/", views.add_statement, name="add-statement"),
    path("<slug:slug>/report/", views.report, name="report"),
    path("<slug:slug>/export.zip", views.export, name="export"),
    path("<slug:slug>/moderate/", views.moderate, name="moderate"),
    path("<slug:slug>/moderate/<int:number>/", views.moderate, name="moderate-statement"),
    path("<slug:slug>/statements/<int:number>/follow-up/", views.follow_up, name="follow-up"),
    path("<slug:slug>/statements/<int:number>/to-budget/", views.to_budget, name="to-budget"),
    path("<slug:slug>/follow-ups/<int:pk>/update/", views.update_follow_up, name="update-follow-up"),
]
