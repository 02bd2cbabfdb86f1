"""Services the views call, grouped so a reader sees each kind apart.

- `domain/`: what may happen (lifecycle, plans, returns, applications, marks, scheduled
  reviews). They add to the session; views commit.
- `read_models/`: what pages show (register, progress), computed for reading.
- `infrastructure/`: email delivery, evidence storage, the certificate PDF.
"""
