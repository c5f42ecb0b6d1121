"""Submit a JobSet from Python, wait until it completes, then delete it.

    python examples/submit_and_wait.py

Settings from the environment: TEMPORAL_ADDRESS (127.0.0.1:7233), JOBSET_TASK_QUEUE (jobset),
JOBSET_NAMESPACE (default). A worker must be running (`jobset worker` or `npm run demo`).
"""

import os
import sys

from jobset_temporal import JobSetClient, JobSetFailedError, run_and_exit

JOBSET = """
apiVersion: jobset.x-k8s.io/v1alpha2
kind: JobSet
metadata:
  name: hello-python
spec:
  replicatedJobs:
  - name: workers
    replicas: 2
    template:
      spec:
        backoffLimit: 0
        template:
          metadata:
            annotations:
              kwok-sim/run-duration: "2s"
          spec:
            restartPolicy: Never
            containers:
            - name: main
              image: busybox
"""


async def main() -> int:
    jobsets = await JobSetClient.connect(
        os.environ.get("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
        task_queue=os.environ.get("JOBSET_TASK_QUEUE", "jobset"),
    )
    namespace = os.environ.get("JOBSET_NAMESPACE", "default")

    submitted = await jobsets.submit(JOBSET, namespace=namespace)
    print(f"{submitted.workflow_id}: {'created' if submitted.created else 'already submitted'}")
    try:
        status = await jobsets.wait(namespace, "hello-python", for_="Completed", timeout=300)
    except JobSetFailedError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"hello-python: {status.terminalState}, restarts {status.restarts}")

    await jobsets.delete(namespace, "hello-python")  # and its Jobs, so the script can run again
    return 0


# The temporalio client can crash the interpreter at exit (sdk-python#300): leave through os._exit.
run_and_exit(main())
