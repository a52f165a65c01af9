"""Training: courses, offerings, licences, enrollments, certificates, agency certification."""
