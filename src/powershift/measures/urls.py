from django.urls import path

from powershift.measures import views

app_name = "measures"

urlpatterns = [
    path("", views.index, name="index"),
    path("propose/", views.propose, name="propose"),
    path("m/<slug:slug>/", views.measure, name="measure"),
    path("m/<slug:slug>/endorse/", views.endorse, name="endorse"),
    path("m/<slug:slug>/agree/", views.agree, name="agree"),
    path("m/<slug:slug>/record/", views.record, name="record"),
    path("m/<slug:slug>/annotate/", views.annotate, name="annotate"),
    path("m/<slug:slug>/export.csv", views.export, name="export"),
    path("places/", views.places, name="places"),
    path("places/<str:code>/", views.place, name="place"),
    path("indicators/import/", views.import_indicators, name="import-indicators"),
    path("stories/", views.stories, name="stories"),
    path("stories/tell/", views.tell, name="tell"),
    path("stories/moderate/", views.moderate_queue, name="moderate"),
    path("stories/<int:pk>/", views.story, name="story"),
    path("stories/<int:pk>/card/", views.story_card, name="story-card"),
    path("stories/<int:pk>/moderate/", views.moderate_story, name="moderate-story"),
    path("stories/<int:pk>/pin/", views.pin, name="pin"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("practice/", views.practice, name="practice"),
    path("practice/framework/", views.framework_versions, name="framework"),
    path("practice/framework/edit/", views.edit_framework, name="edit-framework"),
    path("practice/decks/<int:pk>/", views.deck, name="deck"),
    path("practice/decks/<int:pk>/write/", views.write_card, name="write-card"),
    path("practice/teams/new/", views.start_team, name="start-team"),
    path("practice/teams/<slug:slug>/", views.team, name="team"),
    path("practice/teams/<slug:slug>/members/", views.add_member, name="add-member"),
    path("practice/teams/<slug:slug>/draw/", views.draw, name="draw"),
    path("practice/teams/<slug:slug>/log/", views.log, name="log-new"),
    path("practice/teams/<slug:slug>/log/draw-<int:draw_id>/", views.log, name="log"),
    path("practice/teams/<slug:slug>/log/<int:pk>/share/", views.share, name="share"),
    path("practice/teams/<slug:slug>/decks/load/", views.load_deck, name="load-deck"),
    path("practice/teams/<slug:slug>/assess/", views.assess, name="assess"),
    path("practice/checklist/<str:code>/", views.checklist, name="checklist"),
    path("practice/checklist/<str:code>/<slug:group>/<int:item>/", views.mark, name="mark"),
]
