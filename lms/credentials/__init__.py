"""Open Badges 3.0 credentials: issuer keys, pinned JSON-LD contexts and Data Integrity proofs.

``keys`` keeps the issuer's Ed25519 keys on disk (never in the database), ``jsonld`` canonicalises
documents against locally pinned contexts only, ``proof`` signs and verifies ``DataIntegrityProof``
proofs with the ``eddsa-rdfc-2022`` cryptosuite.
"""
