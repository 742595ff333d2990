/**
 * The JSON Schema (draft-07) of ThreatModelData: `ThreatModel.toJson()` and `cdk8s-hardened report -f json`. Published
 * with the package (this module) and as schemas/threat-model/report.schema.json (written by `npm run docs`, kept in sync
 * by test/threat/schema.test.ts). A renderer can rely on it: statuses, evidence (non-empty when mitigated), gaps,
 * findings, accepted risks (non-empty when waived), assumptions (non-empty when assumed or outside this app).
 */
export const THREAT_MODEL_JSON_SCHEMA: { [key: string]: any } = {
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://github.com/cdk8s-hardened/cdk8s-hardened/schemas/threat-model/report.schema.json",
  "title": "cdk8s-hardened threat model report",
  "description": "ThreatModel.toJson() / `cdk8s-hardened report -f json`. A renderer needs nothing else: assets, trust boundaries, nodes and flows of the data-flow diagram, threats, one assessment per threat and asset with its status, evidence, gaps, findings, accepted risks, assumptions and risk ratings.",
  "definitions": {
    "risk": {
      "type": "object",
      "properties": {
        "likelihood": {
          "type": "integer",
          "minimum": 1,
          "maximum": 3
        },
        "impact": {
          "type": "integer",
          "minimum": 1,
          "maximum": 3
        },
        "score": {
          "type": "integer",
          "minimum": 1,
          "maximum": 9
        },
        "level": {
          "enum": [
            "low",
            "medium",
            "high"
          ]
        }
      },
      "required": [
        "likelihood",
        "impact",
        "score",
        "level"
      ],
      "additionalProperties": false
    },
    "finding": {
      "type": "object",
      "properties": {
        "ruleId": {
          "type": "string"
        },
        "object": {
          "type": "string"
        },
        "path": {
          "type": "string"
        },
        "message": {
          "type": "string"
        }
      },
      "required": [
        "ruleId",
        "object",
        "path",
        "message"
      ],
      "additionalProperties": false
    }
  },
  "type": "object",
  "properties": {
    "schemaVersion": {
      "const": "2.0.0"
    },
    "title": {
      "type": "string"
    },
    "date": {
      "type": "string",
      "pattern": "^\\d{4}-\\d{2}-\\d{2}$"
    },
    "objects": {
      "type": "integer",
      "minimum": 0
    },
    "threats": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string",
            "pattern": "^[STRIDE]\\d+-[a-z0-9-]+$"
          },
          "stride": {
            "enum": [
              "Spoofing",
              "Tampering",
              "Repudiation",
              "Information disclosure",
              "Denial of service",
              "Elevation of privilege"
            ]
          },
          "title": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "assets": {
            "type": "array",
            "items": {
              "enum": [
                "workload",
                "namespace",
                "secret",
                "permission",
                "service",
                "cluster"
              ]
            }
          },
          "rules": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "controls": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "operator": {
            "type": "string"
          },
          "nextStep": {
            "type": "string"
          },
          "sources": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "techniques": {
            "type": "array",
            "items": {
              "type": "string",
              "pattern": "^(MS-TA9\\d{3}|T\\d{4}(\\.\\d{3})?)$"
            }
          },
          "impact": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3
          },
          "likelihood": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3
          },
          "assumption": {
            "type": "string"
          },
          "outsideApp": {
            "type": "boolean"
          }
        },
        "required": [
          "id",
          "stride",
          "title",
          "description",
          "assets",
          "rules",
          "controls",
          "operator",
          "nextStep",
          "sources",
          "techniques",
          "impact",
          "likelihood",
          "assumption"
        ],
        "additionalProperties": false
      }
    },
    "assets": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "kind": {
            "enum": [
              "workload",
              "namespace",
              "secret",
              "permission",
              "service",
              "cluster"
            ]
          },
          "name": {
            "type": "string"
          },
          "namespace": {
            "type": "string"
          },
          "details": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        },
        "required": [
          "id",
          "kind",
          "name",
          "details"
        ],
        "additionalProperties": false
      }
    },
    "boundaries": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "label": {
            "type": "string"
          },
          "parent": {
            "type": "string"
          }
        },
        "required": [
          "id",
          "label"
        ],
        "additionalProperties": false
      }
    },
    "nodes": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "label": {
            "type": "string"
          },
          "boundary": {
            "type": "string"
          },
          "type": {
            "enum": [
              "external",
              "process",
              "store"
            ]
          },
          "inApp": {
            "type": "boolean"
          }
        },
        "required": [
          "id",
          "label",
          "boundary",
          "type",
          "inApp"
        ],
        "additionalProperties": false
      }
    },
    "flows": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "from": {
            "type": "string"
          },
          "to": {
            "type": "string"
          },
          "ports": {
            "type": "string"
          },
          "via": {
            "type": "string"
          },
          "protocol": {
            "type": "string"
          },
          "tls": {
            "type": "string"
          },
          "auth": {
            "type": "string"
          }
        },
        "required": [
          "from",
          "to",
          "ports",
          "via"
        ],
        "additionalProperties": false
      }
    },
    "assessments": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "threatId": {
            "type": "string"
          },
          "assetId": {
            "type": "string"
          },
          "status": {
            "enum": [
              "mitigated",
              "waived",
              "not covered",
              "no evidence",
              "assumed",
              "outside this app"
            ]
          },
          "evidence": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "text": {
                  "type": "string"
                },
                "objects": {
                  "type": "array",
                  "items": {
                    "type": "string"
                  }
                }
              },
              "required": [
                "text",
                "objects"
              ],
              "additionalProperties": false
            }
          },
          "mitigatedBy": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "gaps": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "findings": {
            "type": "array",
            "items": {
              "$ref": "#/definitions/finding"
            }
          },
          "acceptedRisks": {
            "type": "array",
            "items": {
              "type": "object",
              "properties": {
                "ruleId": {
                  "type": "string"
                },
                "object": {
                  "type": "string"
                },
                "reason": {
                  "type": "string"
                },
                "owner": {
                  "type": "string"
                },
                "approver": {
                  "type": "string"
                },
                "expires": {
                  "type": "string",
                  "pattern": "^\\d{4}-\\d{2}-\\d{2}$"
                },
                "daysLeft": {
                  "type": "integer"
                }
              },
              "required": [
                "ruleId",
                "object",
                "reason",
                "owner",
                "approver",
                "expires",
                "daysLeft"
              ],
              "additionalProperties": false
            }
          },
          "assumptions": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "inherentRisk": {
            "$ref": "#/definitions/risk"
          },
          "residualRisk": {
            "$ref": "#/definitions/risk"
          },
          "nextStep": {
            "type": "string"
          }
        },
        "required": [
          "threatId",
          "assetId",
          "status",
          "evidence",
          "mitigatedBy",
          "gaps",
          "findings",
          "acceptedRisks",
          "assumptions",
          "inherentRisk",
          "residualRisk"
        ],
        "additionalProperties": false,
        "allOf": [
          {
            "if": {
              "properties": {
                "status": {
                  "const": "mitigated"
                }
              }
            },
            "then": {
              "properties": {
                "evidence": {
                  "minItems": 1
                }
              }
            }
          },
          {
            "if": {
              "properties": {
                "status": {
                  "enum": [
                    "not covered",
                    "no evidence"
                  ]
                }
              }
            },
            "then": {
              "anyOf": [
                {
                  "properties": {
                    "findings": {
                      "minItems": 1
                    }
                  }
                },
                {
                  "properties": {
                    "gaps": {
                      "minItems": 1
                    }
                  }
                }
              ]
            }
          },
          {
            "if": {
              "properties": {
                "status": {
                  "enum": [
                    "assumed",
                    "outside this app"
                  ]
                }
              }
            },
            "then": {
              "properties": {
                "assumptions": {
                  "minItems": 1
                }
              }
            }
          },
          {
            "if": {
              "properties": {
                "status": {
                  "const": "waived"
                }
              }
            },
            "then": {
              "properties": {
                "acceptedRisks": {
                  "minItems": 1
                }
              }
            }
          }
        ]
      }
    },
    "assumptions": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "id": {
            "type": "string"
          },
          "text": {
            "type": "string"
          },
          "threatId": {
            "type": "string"
          },
          "assetIds": {
            "type": "array",
            "items": {
              "type": "string"
            }
          }
        },
        "required": [
          "id",
          "text",
          "threatId",
          "assetIds"
        ],
        "additionalProperties": false
      }
    },
    "blockingFindings": {
      "type": "array",
      "items": {
        "$ref": "#/definitions/finding"
      }
    },
    "blocked": {
      "type": "object",
      "properties": {
        "message": {
          "type": "string"
        }
      },
      "required": [
        "message"
      ],
      "additionalProperties": false
    },
    "riskMethod": {
      "type": "string"
    }
  },
  "required": [
    "schemaVersion",
    "title",
    "date",
    "objects",
    "threats",
    "assets",
    "boundaries",
    "nodes",
    "flows",
    "assessments",
    "assumptions",
    "blockingFindings",
    "riskMethod"
  ],
  "additionalProperties": false
};
