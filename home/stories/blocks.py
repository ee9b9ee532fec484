"""StreamField blocks for stories: the site's body blocks plus a short audio or video file."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from home.blocks import BodyBlock


class StoryMediaBlock(blocks.StructBlock):
    media = SnippetChooserBlock("stories.StoryMedia", label=_("Audio or video file"))
    caption = blocks.CharBlock(max_length=200, required=False, label=_("Caption"))

    class Meta:
        icon = "media"
        template = "stories/blocks/story_media_block.html"
        description = _("A short audio or video clip, served from this website")


class StoryBodyBlock(BodyBlock):
    media = StoryMediaBlock()
