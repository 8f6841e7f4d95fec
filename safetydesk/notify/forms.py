from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeTemplateForm(forms.Form):
    subject = forms.CharField(label=pgettext_lazy("email", "Subject"), max_length=200, strip=True)
    body = forms.CharField(
        label=_("Body"), strip=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 22, "dir": "auto"})
    )
