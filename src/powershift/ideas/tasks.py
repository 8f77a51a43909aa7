"""Background work for the Ideas Shop, run by `powershift worker`."""

from __future__ import annotations

from django_tasks import task

from powershift.ideas.analysis import store_analysis
from powershift.ideas.models import Conversation


@task()
def analyse_conversation_task(conversation_id: int) -> int:
    conversation = Conversation.objects.get(pk=conversation_id)
    return store_analysis(conversation).analysed_votes
