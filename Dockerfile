# The map page, built with Node (web/map -> /map-dist).
FROM node:22-slim AS map
WORKDIR /web/map
COPY web/map/package.json web/map/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/map ./
RUN npm run build -- --outDir /map-dist

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY service ./service
COPY --from=map /map-dist ./service/static/map
RUN pip install --no-cache-dir -c constraints.txt .
USER nobody
# Never demo data in an image that runs against a real database; JSON logs for the collector.
ENV POWERMAP_LOAD_DEMO=false POWERMAP_LOG_FORMAT=json
EXPOSE 8000
CMD ["python", "-m", "service", "serve"]
