"""Infrastructure: email delivery, evidence storage and the certificate PDF."""
