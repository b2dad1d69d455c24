from django import forms


class SignupForm(forms.Form):
    name = forms.CharField(label="Practice name", max_length=120)
    slug = forms.CharField(
        label="Web address",
        max_length=40,
        help_text="Your practice's own address: lowercase letters, digits and hyphens.",
    )
    owner_name = forms.CharField(label="Your name", max_length=150)
    owner_email = forms.EmailField(label="Your email")
    password = forms.CharField(label="Password", widget=forms.PasswordInput, strip=False)


class InvitationAcceptForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=150)
    password = forms.CharField(label="Choose a password", widget=forms.PasswordInput, strip=False)
