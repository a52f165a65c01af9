"""Pledges URLs, mounted at /promise/."""

from django.urls import path

from peacekit.pledges import views

app_name = "pledges"

urlpatterns = [
    # public
    path("", views.registry, name="registry"),
    path("sign-on/", views.sign_on, name="sign_on"),
    path("sign-on/done/", views.sign_on_done, name="sign_on_done"),
    path("get-involved/", views.get_involved, name="get_involved"),
    path("get-involved/done/", views.get_involved_done, name="get_involved_done"),
    path("documentary-guide/", views.documentary_guide, name="documentary_guide"),
    # the promise
    path("manage/", views.overview, name="overview"),
    path("sign-ons/", views.promise_list, name="promise_list"),
    path("sign-ons/<int:promise_id>/", views.promise_detail, name="promise_detail"),
    path("sign-ons/<int:promise_id>/verify/", views.promise_verify, name="promise_verify"),
    path("sign-ons/<int:promise_id>/reject/", views.promise_reject, name="promise_reject"),
    path("sign-ons/<int:promise_id>/events/", views.event_schedule, name="event_schedule"),
    path("sign-ons/<int:promise_id>/certificate.pdf", views.certificate, name="certificate"),
    path("events/<int:event_id>/status/", views.event_status, name="event_status"),
    path("promise-text/", views.promise_template, name="promise_template"),
    # checklist
    path("checklist/", views.checklist_home, name="checklist_home"),
    path("organizations/<int:organization_id>/checklist/", views.checklist, name="checklist"),
    path(
        "organizations/<int:organization_id>/checklist/add/",
        views.checklist_item_add,
        name="checklist_item_add",
    ),
    path(
        "organizations/<int:organization_id>/checklist.<str:fmt>",
        views.checklist_export,
        name="checklist_export",
    ),
    path("checklist/steps/<int:item_id>/", views.checklist_item_edit, name="checklist_item_edit"),
    path(
        "checklist/steps/<int:item_id>/status/",
        views.checklist_item_status,
        name="checklist_item_status",
    ),
    path(
        "checklist/steps/<int:item_id>/move/", views.checklist_item_move, name="checklist_item_move"
    ),
    path(
        "checklist/steps/<int:item_id>/remove/",
        views.checklist_item_remove,
        name="checklist_item_remove",
    ),
    path("checklist/steps/<int:item_id>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/remove/", views.evidence_remove, name="evidence_remove"),
    path("checklist-template/", views.step_template_list, name="step_template_list"),
    path("checklist-template/<int:step_id>/", views.step_template_edit, name="step_template_edit"),
    path(
        "checklist-template/<int:step_id>/move/",
        views.step_template_move,
        name="step_template_move",
    ),
    # toolkit
    path("toolkit/", views.toolkit, name="toolkit"),
    path(
        "organizations/<int:organization_id>/toolkit/<slug:kind>.<str:fmt>",
        views.toolkit_download,
        name="toolkit_download",
    ),
    path("toolkit/templates/", views.toolkit_template_list, name="toolkit_template_list"),
    path(
        "toolkit/templates/<int:template_id>/",
        views.toolkit_template_edit,
        name="toolkit_template_edit",
    ),
    # documentary
    path("documentaries/", views.documentary_list, name="documentary_list"),
    path(
        "documentaries/<int:documentary_id>/", views.documentary_detail, name="documentary_detail"
    ),
    path(
        "documentaries/<int:documentary_id>/status/",
        views.documentary_status,
        name="documentary_status",
    ),
    path("documentaries/<int:documentary_id>/uploads/", views.footage_start, name="footage_start"),
    path("uploads/<int:upload_id>/", views.footage_status, name="footage_status"),
    path("uploads/<int:upload_id>/chunk/", views.footage_chunk, name="footage_chunk"),
    path("uploads/<int:upload_id>/file/", views.footage_download, name="footage_download"),
    # symbols
    path("symbols/", views.order_list, name="order_list"),
    path("symbols/new/", views.order_create, name="order_create"),
    path("symbols/<int:order_id>/", views.order_detail, name="order_detail"),
    path("symbols/<int:order_id>/status/", views.order_status, name="order_status"),
    # get involved (staff side)
    path("community-requests/", views.involvement_list, name="involvement_list"),
    path(
        "community-requests/<int:involvement_id>/status/",
        views.involvement_status,
        name="involvement_status",
    ),
]
