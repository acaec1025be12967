package dev.switchboard.workflow.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Lob;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import java.util.Arrays;
import java.util.List;

/** One job of a workflow: which service runs it, its input, and which jobs it waits for (and reads from). */
@Entity
@Table(name = "sb_workflow_job")
public class WorkflowJob {

    @Id
    @SequenceGenerator(name = "sb_workflow_job_seq", sequenceName = "sb_workflow_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "sb_workflow_job_seq")
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "workflow_id")
    private Workflow workflow;

    @Column(nullable = false)
    private int position;

    @Column(nullable = false)
    private String name;

    @Column(name = "service_id", nullable = false)
    private long serviceId;

    @Lob
    @Column(nullable = false)
    private String input;

    @Lob
    @Column(name = "config_json", nullable = false)
    private String configJson;

    @Column(name = "depends_on", nullable = false)
    private String dependsOn;

    @Column(name = "piped_from", nullable = false)
    private String pipedFrom;

    protected WorkflowJob() {
        // JPA
    }

    public WorkflowJob(String name, long serviceId, String input, String configJson, List<String> dependsOn, List<String> pipedFrom) {
        this.name = name;
        this.serviceId = serviceId;
        this.input = input;
        this.configJson = configJson;
        this.dependsOn = String.join(",", dependsOn);
        this.pipedFrom = String.join(",", pipedFrom);
    }

    void attach(Workflow workflow, int position) {
        this.workflow = workflow;
        this.position = position;
    }

    public Long id() {
        return id;
    }

    public String name() {
        return name;
    }

    public JobDefinition view() {
        return new JobDefinition(id == null ? 0 : id, name, serviceId, input, configJson, split(dependsOn), split(pipedFrom));
    }

    private static List<String> split(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.asList(csv.split(","));
    }
}
