"""Photos: the upload pipeline (decode, check, strip, re-encode) and the bytes we serve."""
