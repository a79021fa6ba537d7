"""The review desk (``summarizer serve``): a small local web application over a data folder
of batch runs, where a team reads each result's facts with their evidence, approves it or
marks a field wrong, every change kept in an append-only audit trail.

    from summarizer.serve.app import create_app

    app = create_app(Path("desk"))              # an ASGI app: uvicorn, or Starlette's TestClient
    app = create_app(Path("desk"), token=TOKEN)  # beyond loopback: every request carries it
"""
