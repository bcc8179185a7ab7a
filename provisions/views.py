from django.http import Http404


def _todo(request, **kwargs):
    raise Http404  # public pages arrive with the public-atlas issue


argument_list = argument_detail = jurisdiction_detail = instrument_detail = provision_detail = _todo
