#!/usr/bin/env bash
# Entry point of the corpusforge image.
#   driver ARGS / executor   what Spark on Kubernetes (and the Spark operator) start in pods
#   JOB [job args]           a corpusforge job in local mode or with $MASTER: ./spark-submit.sh JOB
#   anything else            run as a command (bash, python, ...)
set -euo pipefail

SPARK_CLASSPATH="${SPARK_CLASSPATH:-}:${SPARK_HOME}/jars/*:/opt/corpusforge/jars/*"

# Spark on Kubernetes hands executor JVM options over as SPARK_JAVA_OPT_<n> variables.
executor_java_opts=()
while IFS='=' read -r name value; do
  [[ "$name" == SPARK_JAVA_OPT_* ]] && executor_java_opts+=("$value")
done < <(env | sort -t_ -k4 -n)

case "${1:-}" in
  driver)
    shift
    exec "$SPARK_HOME/bin/spark-submit" \
      --conf "spark.driver.bindAddress=${SPARK_DRIVER_BIND_ADDRESS:-0.0.0.0}" \
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=${SPARK_DRIVER_BIND_ADDRESS:-}" \
      --deploy-mode client "$@"
    ;;
  executor)
    shift
    exec "${JAVA_HOME}/bin/java" "${executor_java_opts[@]}" \
      -Xms"${SPARK_EXECUTOR_MEMORY}" -Xmx"${SPARK_EXECUTOR_MEMORY}" \
      -cp "$SPARK_CLASSPATH" \
      org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "$SPARK_DRIVER_URL" --executor-id "$SPARK_EXECUTOR_ID" \
      --cores "$SPARK_EXECUTOR_CORES" --app-id "$SPARK_APPLICATION_ID" \
      --hostname "$SPARK_EXECUTOR_POD_IP" \
      --resourceProfileId "${SPARK_RESOURCE_PROFILE_ID:-0}" \
      --podName "${SPARK_EXECUTOR_POD_NAME:-}"
    ;;
  "")
    exec /opt/corpusforge/spark-submit.sh --help
    ;;
  *)
    if [ -f "/opt/corpusforge/jobs/$1.py" ]; then
      exec /opt/corpusforge/spark-submit.sh "$@"
    fi
    exec "$@"
    ;;
esac
