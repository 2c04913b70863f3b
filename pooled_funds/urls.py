from django.urls import path

from . import views

app_name = "pooled_funds"

urlpatterns = [
    path("", views.fund_list, name="list"),
]
