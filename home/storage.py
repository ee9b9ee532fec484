"""Where uploads are kept: public media, or a private folder the web server never sees."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.urls import reverse
from django.utils.deconstruct import deconstructible

from .images import is_private_name


@deconstructible
class MediaStorage(Storage):
    """Files under MEDIA_ROOT, except private ones (see home/images.py), under
    PRIVATE_MEDIA_ROOT, which only our own access-checking view reads and serves."""

    # Made when used, so settings changed in tests take effect.
    @property
    def public(self) -> FileSystemStorage:
        return FileSystemStorage()

    @property
    def private(self) -> FileSystemStorage:
        return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url="/")

    def _for(self, name: str) -> FileSystemStorage:
        return self.private if is_private_name(name) else self.public

    def _open(self, name, mode="rb"):
        return self._for(name)._open(name, mode)

    def _save(self, name, content):
        return self._for(name)._save(name, content)

    def path(self, name):
        return self._for(name).path(name)

    def delete(self, name):
        return self._for(name).delete(name)

    def exists(self, name):
        return self._for(name).exists(name)

    def size(self, name):
        return self._for(name).size(name)

    def listdir(self, path):
        return self.public.listdir(path)

    def get_modified_time(self, name):
        return self._for(name).get_modified_time(name)

    def get_created_time(self, name):
        return self._for(name).get_created_time(name)

    def get_accessed_time(self, name):
        return self._for(name).get_accessed_time(name)

    def url(self, name):
        if is_private_name(name):
            return reverse("private_media", kwargs={"name": name})
        return self.public.url(name)
