"""Routes of replies: the officer's reply screens and the citizen's verdict."""

from django.urls import path

from .views import citizen, officer

app_name = "responses"

CASE = "petugas/kasus/<int:case_id>/balasan/"
REPLY = CASE + "<int:reply_id>/"
TRACKED = "lacak/<str:code>/"

urlpatterns = [
    path(CASE + "baru/", officer.reply_new, name="reply_new"),
    path(CASE + "catatan/", officer.note_add, name="note_add"),
    path(REPLY, officer.reply_detail, name="reply_detail"),
    path(REPLY + "ubah/", officer.reply_edit, name="reply_edit"),
    path(REPLY + "ajukan/", officer.reply_submit_view, name="reply_submit"),
    path(REPLY + "setujui/", officer.reply_approve_view, name="reply_approve"),
    path(REPLY + "kembalikan/", officer.reply_return_view, name="reply_return"),
    path(REPLY + "surat.pdf", officer.reply_letter, name="reply_letter"),
    path(
        REPLY + "lampiran/<int:attachment_id>/",
        officer.reply_attachment,
        name="reply_attachment",
    ),
    path("petugas/persetujuan/", officer.approval_queue, name="approval_queue"),
    path(TRACKED + "tanggapan/", citizen.verdict, name="verdict"),
    path(TRACKED + "balasan/<int:reply_id>/surat.pdf", citizen.reply_letter, name="citizen_letter"),
    path(
        TRACKED + "balasan/<int:reply_id>/lampiran/<int:attachment_id>/",
        citizen.reply_attachment,
        name="citizen_attachment",
    ),
]
