"""Deployment artefacts: `chalice package` output plus the tables from infra/tables.py,
problem+json gateway responses, a table-scoped IAM policy and the token secret parameter.

    python -m infra.template build/ [--stage dev]   -> build/sam.json, build/deployment.zip
"""
import argparse
import compileall
import json
import os
import py_compile
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from chalicelib.core.gateway_responses import GATEWAY_PROBLEMS
from infra.tables import TABLES, cloudformation_resource

ROOT = Path(__file__).resolve().parent.parent
# Shipped with the Lambda Python runtime: not packaged (keeps the zip small).
RUNTIME_PROVIDED = ("botocore", "boto3", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py",
                    "python_dateutil", "jmespath-", "urllib3-", "botocore-", "six-", "s3transfer-")


def _chalice_package(stage: str, out: Path) -> None:
    env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "ap-southeast-1")}
    chalice = Path(sys.executable).with_name("chalice")
    subprocess.run([str(chalice), "package", "--stage", stage, str(out)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def slim_zip(path: Path) -> None:
    """Rewrite the deployment zip without what the runtime already has, and with bytecode
    (Lambda's file system is read-only: without .pyc every cold start compiles every module)."""
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        with zipfile.ZipFile(path) as source:
            for info in source.infolist():
                if not info.filename.split("/")[0].startswith(RUNTIME_PROVIDED):
                    source.extract(info, root)
        compileall.compile_dir(root, quiet=1, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for file in sorted(root.rglob("*")):
                if file.is_file():
                    info = zipfile.ZipInfo(str(file.relative_to(root)), date_time=(2020, 1, 1, 0, 0, 0))
                    info.external_attr = (0o755 if os.access(file, os.X_OK) else 0o644) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    target.writestr(info, file.read_bytes())


def _problem_template(status: int, title: str, detail: str) -> str:
    return json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail})


def extend(template: dict) -> dict:
    resources = template["Resources"]
    template.setdefault("Parameters", {})["TokenSecret"] = {
        "Type": "String", "NoEcho": True, "MinLength": 32,
        "Description": "Signing key of access tokens (keep it in a secrets store)"}
    table_arns = []
    for spec in TABLES:
        resources[spec.logical_id] = cloudformation_resource(spec, {"Fn::Sub": "${AWS::StackName}-" + spec.logical_id.lower()})
        table_arns += [{"Fn::GetAtt": [spec.logical_id, "Arn"]},
                       {"Fn::Sub": "${" + spec.logical_id + ".Arn}/index/*"}]
    for resource in resources.values():
        if resource["Type"] == "AWS::Serverless::Function":
            variables = resource["Properties"].setdefault("Environment", {}).setdefault("Variables", {})
            for spec in TABLES:
                variables[spec.env_var] = {"Ref": spec.logical_id}
            variables["QUAY_TOKEN_SECRET"] = {"Ref": "TokenSecret"}
    resources["DefaultRole"]["Properties"]["Policies"].append({"PolicyName": "QuayTables", "PolicyDocument": {
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": table_arns, "Action": [
            "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
            "dynamodb:DescribeTable"]}]}})
    for response_type, (status, title, detail) in GATEWAY_PROBLEMS.items():
        name = "Problem" + "".join(part.title() for part in response_type.split("_"))
        resources[name] = {"Type": "AWS::ApiGateway::GatewayResponse", "Properties": {
            "RestApiId": {"Ref": "RestAPI"}, "ResponseType": response_type, "StatusCode": str(status),
            "ResponseTemplates": {"application/json": _problem_template(status, title, detail)},
            "ResponseParameters": {"gatewayresponse.header.Content-Type": "'application/problem+json'"}}}
    template.setdefault("Outputs", {})["TableName"] = {"Value": {"Ref": TABLES[0].logical_id}}
    return template


def build(out: Path, stage: str = "dev") -> Path:
    _chalice_package(stage, out)
    slim_zip(out / "deployment.zip")
    sam = out / "sam.json"
    sam.write_text(json.dumps(extend(json.loads(sam.read_text())), indent=2))
    return sam


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--stage", default="dev")
    arguments = parser.parse_args()
    print(build(arguments.out, arguments.stage))
