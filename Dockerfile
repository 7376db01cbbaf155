FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY service ./service
RUN pip install --no-cache-dir -c constraints.txt .
USER nobody
# Never demo data in an image that runs against a real database; JSON logs for the collector.
ENV POWERMAP_LOAD_DEMO=false POWERMAP_LOG_FORMAT=json
EXPOSE 8000
CMD ["python", "-m", "service", "serve"]
