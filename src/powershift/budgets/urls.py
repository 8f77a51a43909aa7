from django.urls import path

from powershift.budgets import views

app_name = "budgets"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new_round, name="new"),
    path("<slug:slug>/", views.round_detail, name="round"),
    path("<slug:slug>/propose/", views.propose, name="propose"),
    path("<slug:slug>/projects/<int:number>/", views.project_detail, name="project"),
    path("<slug:slug>/projects/<int:number>/revise/", views.revise, name="revise"),
    path("<slug:slug>/projects/<int:number>/review/", views.review, name="review"),
    path("<slug:slug>/projects/<int:number>/update/", views.post_update, name="update"),
    path("<slug:slug>/code/", views.claim_code, name="code"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/advance/", views.advance, name="advance"),
    path("<slug:slug>/manage/letters/", views.letters, name="letters"),
    path("<slug:slug>/manage/register/", views.register, name="register"),
    path("<slug:slug>/manage/venue/", views.venue, name="venue"),
    path("<slug:slug>/manage/paper/", views.paper, name="paper"),
    path("<slug:slug>/results/", views.results, name="results"),
    path("<slug:slug>/results.<str:fmt>", views.download, name="download"),
]
