import contextlib
import logging
import os

from celery import shared_task

from apps.breaches.importing.errors import ImportRejected
from apps.breaches.models import DatasetImport
from apps.breaches.services import import_exposures

logger = logging.getLogger(__name__)

# The options an upload may set; anything else stored on the DatasetImport is ignored.
_OPTIONS = ("phone_columns", "email_columns", "region", "encoding", "delimiter")


@shared_task(name="breaches.import_dataset", bind=True, acks_late=True, ignore_result=True)
def import_dataset(self, dataset_import_id: int, path: str) -> str:
    """Run a queued DatasetImport on the file at `path`, then delete the file whatever happened.

    Acknowledged late: a worker killed mid-import leaves the file and the task, which runs again from the
    start (the import is idempotent and all-or-nothing). A rejected file is final, not retried.
    """
    try:
        dataset_import = DatasetImport.objects.select_related("breach").filter(pk=dataset_import_id).first()
        if dataset_import is None:
            logger.warning("Dataset import %s no longer exists; its file is deleted", dataset_import_id)
            return "missing"
        options = {key: dataset_import.options.get(key) for key in _OPTIONS}
        with contextlib.suppress(ImportRejected):  # recorded on the DatasetImport; retrying cannot help
            import_exposures(
                breach=dataset_import.breach,
                path=path,
                dataset_import=dataset_import,
                delete_file=True,
                **options,
            )
        return dataset_import.status
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)
