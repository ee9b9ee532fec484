"""StreamField blocks shared by the site's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label=_("Heading"))

    class Meta:
        icon = "title"
        template = "home/blocks/heading_block.html"
        description = _("A section heading")


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, label=_("Button text"))
    page = blocks.PageChooserBlock(required=False, label=_("Page"))
    url = blocks.URLBlock(required=False, label=_("Or a web address"))

    class Meta:
        icon = "link"
        template = "home/blocks/call_to_action_block.html"
        description = _("A clear button linking to a page")


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(max_length=600, label=_("Quote"))
    attribution = blocks.CharBlock(max_length=120, required=False, label=_("Who said it"))

    class Meta:
        icon = "openquote"
        template = "home/blocks/quote_block.html"
        description = _("A pull quote")


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        icon="pilcrow",
        template="home/blocks/paragraph_block.html",
    )
    image = ImageBlock(template="home/blocks/image_block.html")
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
