from django.db import migrations

# The signs of progress the practitioner guides describe for each stage, in our own words.
MILESTONES = {
    "crisis": [
        "Accepts the present situation and finds some meaning in it",
        "Has a new daily routine",
        "Trauma symptoms ease; is processing the experience",
        "Physical and psychological well-being improve",
        "Gains self-confidence and autonomy",
        "Manages the immediate surroundings",
        "Shows empathy, affection and closeness",
        "Family and social relationships improve",
        "Is safe and feels secure",
    ],
    "transition": [
        "Knows the support and services in the home community",
        "Life skills improve (relationships, communication, parenting, time and money, household)",
        "Has stable housing",
        "Has completed vocational training linked to a job goal",
        "Has found a job and keeps it, with good relations at work",
        "Attends or has finished school",
        "Acts more autonomously",
        "Is motivated and committed to the process",
        "Shows personal and emotional growth",
    ],
    "inclusion": [
        "Has long-term housing",
        "Has long-term employment",
        "Uses life skills in daily life",
        "Family relationships are sustainable and better",
        "Is emotionally stable",
        "Meets own needs and copes with problems",
        "Takes part in social life",
        "Has a reasonable standard of living",
    ],
}


def add_milestones(apps, schema_editor):
    Milestone = apps.get_model("monitoring", "Milestone")
    for stage, texts in MILESTONES.items():
        for position, text in enumerate(texts):
            Milestone.objects.get_or_create(stage=stage, text=text, defaults={"position": position})


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0002_milestones")]

    operations = [migrations.RunPython(add_milestones, migrations.RunPython.noop)]
