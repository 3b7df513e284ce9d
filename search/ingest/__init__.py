"""From a file on disk to an `Article`: decoding, page parsing, boilerplate removal, metadata.

`loader.Ingestor` is the entry point; `text_export` and `html_page` parse the two page formats,
`boilerplate` strips page furniture from the story.
"""
