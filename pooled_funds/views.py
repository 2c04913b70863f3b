from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def fund_list(request):
    return render(request, "pooled_funds/fund_list.html", {"funds": []})
