"""A network of clinics in one repository (handbook/network.md).

- check.py: the checks between clinics, run once for the repository (`python -m tools.network.check`);
- ci.py: which clinics a CI run tests, where each deploys, and the run's summary (`python -m tools.network.ci`).
"""
