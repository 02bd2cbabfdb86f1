from charter import create_app

app = create_app()
