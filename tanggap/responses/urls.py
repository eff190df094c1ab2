"""Routes of replies: the officer's reply screens and the citizen's verdict."""

app_name = "responses"

urlpatterns: list = []
