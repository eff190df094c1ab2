"""Public routes: statistics per unit and period, and the open-data download."""

app_name = "stats"
urlpatterns = []
