"""Research: statute terminology survey and program-effectiveness dashboard."""
