"""The table a Django user would import a roster into with django-import-export (bench only)."""

from django.db import models


class PlainResident(models.Model):
    """One roster row, as plain columns: the django-import-export baseline."""

    name = models.CharField(max_length=50)
    id_number = models.CharField(max_length=18, unique=True)
    phone = models.CharField(max_length=20, blank=True)
    village = models.CharField(max_length=50, blank=True)
    grid = models.CharField(max_length=50, blank=True)
    household = models.CharField(max_length=30, blank=True)
    relation = models.CharField(max_length=20, blank=True)
    address = models.CharField(max_length=200, blank=True)
    tags = models.CharField(max_length=100, blank=True)

    class Meta:
        app_label = "bench_plain"

    def __str__(self) -> str:
        return self.name
