"""PDF reading: pages one at a time (pages), the roadmap grid by geometry (roadmap), the text of a region
(text), and the reader that puts pages together in order, in worker processes for long files (reader)."""
