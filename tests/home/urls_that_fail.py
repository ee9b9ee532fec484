from django.urls import path


def boom(request):
    raise RuntimeError("A deliberate failure for the 500 page test.")


urlpatterns = [path("boom/", boom)]
