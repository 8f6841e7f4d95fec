"""Create one group per staff role. Names are the stable values of accounts.roles.Role;
a data migration never imports app code, so they are spelled out here."""

from django.db import migrations

ROLES = [
    "specialist", "manager", "director", "dept_chief", "legal_counsel", "comms", "executive",
    "oncall", "disinfo_analyst", "crc_member", "auditor", "administrator",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
