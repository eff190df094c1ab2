"""Public routes: published improvement actions (Anda bersuara, kami bertindak)."""

app_name = "actions"
urlpatterns = []
